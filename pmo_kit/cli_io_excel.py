"""
``pmo-kit export excel`` and ``pmo-kit import excel``: the registers as a workbook.

Only click is imported here; pandas and openpyxl load with the command.
"""

from __future__ import annotations

from pathlib import Path

import click

from pmo_kit._errors import PMOError

__all__ = ["export_excel_command", "import_excel_command"]


@click.command("excel")
@click.argument("dataset")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The workbook to write (.xlsx).",
)
@click.option(
    "--tables",
    multiple=True,
    metavar="NAMES",
    help="Only these tables (comma-separated or repeated).  [default: all]",
)
def export_excel_command(dataset: str, output: Path, tables: tuple[str, ...]) -> None:
    """Write DATASET (a folder or database URL) as an Excel workbook."""
    from pmo_kit.data.portfolio import load_portfolio
    from pmo_kit.io.excel import write_workbook
    from pmo_kit.io.excel.writer import select_tables

    try:
        names = select_tables(tables or None)
        portfolio = load_portfolio(dataset)
        write_workbook(portfolio, output, tables=names)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        msg = f"{output}: cannot write the workbook ({exc.strerror or exc})"
        raise click.ClickException(msg) from None
    click.echo(
        f"Wrote {output}: {len(names)} table sheets ({', '.join(names)}), "
        "a data dictionary and drop-down lists"
    )


@click.command("excel")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--into",
    "into",
    type=click.Path(path_type=Path),
    required=True,
    help="The dataset folder to write (new, or existing: its tables are replaced).",
)
@click.option(
    "--mapping",
    type=click.Path(path_type=Path),
    default=None,
    help="A YAML column mapping to read a register in another layout.",
)
@click.option("--sheet", default=None, help="Read only this sheet.")
def import_excel_command(
    file: Path, into: Path, mapping: Path | None, sheet: str | None
) -> None:
    """Read an Excel workbook FILE into a dataset folder (all or nothing)."""
    from pmo_kit.io.excel import import_workbook, read_mapping

    try:
        column_mapping = read_mapping(mapping) if mapping is not None else None
        result = import_workbook(file, into, mapping=column_mapping, sheet=sheet)
    except PMOError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        msg = f"{into}: cannot write the dataset ({exc.strerror or exc})"
        raise click.ClickException(msg) from None
    rows = ", ".join(f"{name} {count} rows" for name, count in result.rows.items())
    click.echo(f"Imported {file} into {result.target}: {rows}")
    if result.kept:
        click.echo(f"Kept from {result.target}: {', '.join(result.kept)}")
    if result.charters:
        click.echo(f"Charters: kept the {result.charters} in {result.target}/charters")
    else:
        click.echo("Charters: none (a workbook holds no charters; they are YAML files)")
