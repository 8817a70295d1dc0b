"""Regenerate the bundled sample organisation and its data dictionary.

Writes datasets/meridian/ (atomically) and rewrites the "Data dictionary" section of
datasets/README.md from the schemas. Run from anywhere:
``python scripts/generate_sample_data.py`` (or ``make data``).
"""

from pathlib import Path

from pmo_kit.data.generator import generate_organisation
from pmo_kit.data.portfolio import save_portfolio
from pmo_kit.data.schemas import data_dictionary_markdown
from pmo_kit.data.tables import atomic_write_text

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "datasets" / "README.md"


def refresh_dictionary() -> None:
    text = README.read_text(encoding="utf-8")
    head, _, _ = text.partition("## Data dictionary")
    intro = (
        "## Data dictionary\n\nGenerated from `pmo_kit.data.schemas` by "
        "`data_dictionary_markdown()`; do not edit by\nhand.\n\n"
    )
    atomic_write_text(README, head + intro + data_dictionary_markdown().rstrip() + "\n")


if __name__ == "__main__":
    target = save_portfolio(generate_organisation(), ROOT / "datasets" / "meridian")
    refresh_dictionary()
    print(f"wrote {target} and the data dictionary in {README}")
