"""
``OUT/index.html`` of a report batch: every report with its headline figures.

Built from ``OUT/manifest.json`` (written by the batch runner) and each report's
``summary.json``. Failed runs come first, with their parameters, the error, the
kept notebook and, when an earlier batch made it, the older report. For
``project-status`` the page is the RAG grid of every project (worst first) under the
count of each RAG per area; other reports get a table of their headline figures
(:func:`pmo_kit.reports.batch_headlines.headline`).

The page is one file: inline CSS, no script, no font or style from the network, the
kit's RAG colours (:data:`pmo_kit.charts.RAG_COLORS`), relative URL-quoted links, so
the folder can be zipped or copied to a share as it is. All text from the manifest
and the summaries is escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from pmo_kit._errors import ValidationError
from pmo_kit.reports.batch_headlines import (
    RAG_AREAS,
    RAG_ORDER,
    Figure,
    figure_cell,
    format_date,
    heading_row,
    headline,
    rag_chips,
    rag_css,
)

__all__ = ["INDEX", "render_batch_index", "write_batch_index"]

#: The index page in the batch folder.
INDEX = "index.html"
_MANIFEST = "manifest.json"
_DASH = "&ndash;"
_STATUS_COLUMNS = ("Methodology", "Phase", "State", "Status date")

_CSS = """
body { font-family: Helvetica, Arial, sans-serif; color: #1f2d3d; margin: 0;
  padding: 20px 24px; font-size: 14px; line-height: 1.35; }
main { max-width: 1240px; margin: 0 auto; } p, li, .any { overflow-wrap: anywhere; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 17px; margin: 22px 0 8px; }
.facts { color: #4a5866; margin: 0 0 4px; } .small { color: #6b7785; font-size: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 4px 5px; border-bottom: 1px solid #e6e6e6; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
th { background: #f4f6f8; font-weight: 600; } th.num, td.num { text-align: right; }
td.num, td.date, td.rag, td.key { white-space: nowrap; }
td.rag { color: white; font-weight: 600; } th.rag, td.rag { text-align: center; }
.chip { display: inline-block; padding: 0 6px; border-radius: 3px; color: white;
  font-weight: 600; margin: 1px 0; white-space: nowrap; }
.error { color: #8a1f11; overflow-wrap: anywhere; } ul.counts li { margin: 2px 0; }
ul.counts { list-style: none; padding: 0; margin: 0 0 10px; }
footer { color: #6b7785; font-size: 12px; margin-top: 28px; padding-top: 8px;
  border-top: 1px solid #e6e6e6; }
@media (max-width: 1100px) { body { padding: 12px 8px; } table { font-size: 12px; } }
"""


def write_batch_index(
    out_dir: str | Path, manifest: dict[str, Any] | None = None
) -> Path:
    """
    Write ``OUT/index.html`` (atomically) and return its path.

    Parameters
    ----------
    out_dir
        The batch folder.
    manifest
        The manifest as a mapping; read from ``OUT/manifest.json`` when ``None``.

    Raises
    ------
    ValidationError
        The manifest is missing or is not a batch manifest (one line naming the file).
    """
    from pmo_kit.data.atomic import atomic_write_text

    out = Path(out_dir)
    page = render_batch_index(out, manifest)
    target = out / INDEX
    atomic_write_text(target, page)
    return target


def render_batch_index(
    out_dir: str | Path, manifest: dict[str, Any] | None = None
) -> str:
    """Return the HTML of the index page of the batch folder ``out_dir``."""
    out = Path(out_dir)
    data = _read_manifest(out) if manifest is None else manifest
    jobs = data.get("jobs")
    if not isinstance(jobs, dict):
        msg = f"{out / _MANIFEST}: 'jobs' is missing; not a pmo-kit batch manifest"
        raise ValidationError(msg)
    report = str(data.get("report") or "")
    entries = {str(k): v for k, v in jobs.items() if isinstance(v, dict)}
    failed = sorted(k for k, e in entries.items() if e.get("status") != "ok")
    done = [k for k in entries if k not in failed]
    summaries = {k: _read_summary(out, entries[k]) for k in done}
    common = _split_parameters(entries)[1]
    varying = _split_parameters({k: entries[k] for k in done})[0]
    parts = [_header(data, len(entries), len(failed), common)]
    if failed:
        parts.append(_failures(out, entries, failed))
    if report == "project-status":
        parts.append(_status_grid(out, entries, summaries, varying))
    else:
        parts.append(_figures_table(out, report, entries, summaries, varying))
    title = html.escape(str(data.get("title") or report or "Report batch"))
    version = html.escape(str(data.get("kit_version") or ""))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}: batch index</title><style>{_CSS}{rag_css()}</style>"
        f"</head><body><main>{''.join(parts)}<footer>Made by pmo-kit {version}"
        " from manifest.json. This page loads nothing from the network."
        "</footer></main></body></html>\n"
    )


def _read_manifest(out: Path) -> dict[str, Any]:
    path = out / _MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"{path}: no batch manifest here; run `pmo-kit report batch ... -o {out}`"
        raise ValidationError(msg) from None
    except (OSError, ValueError) as exc:
        msg = f"{path}: not a readable batch manifest ({exc})"
        raise ValidationError(msg) from None
    if not isinstance(data, dict):
        msg = f"{path}: not a batch manifest (a JSON object with 'jobs' expected)"
        raise ValidationError(msg)
    return data


def _read_summary(out: Path, entry: dict[str, Any]) -> dict[str, Any] | None:
    rel = entry.get("summary") or (
        f"{entry['folder']}/summary.json" if entry.get("folder") else None
    )
    path = _inside(out, rel)
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _inside(out: Path, rel: object) -> Path | None:
    """Return ``out / rel`` for a relative path that stays inside ``out``."""
    if not isinstance(rel, str) or not rel:
        return None
    pure = PurePosixPath(rel.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or ":" in pure.parts[0]:
        return None
    return out.joinpath(*pure.parts)


def _link(out: Path, rel: object, text: str) -> str:
    """Link to ``rel`` (relative) when that file exists, else show the text alone."""
    label = html.escape(text)
    path = _inside(out, rel)
    if path is None or not path.is_file():
        return label + (' <span class="small">(file missing)</span>' if rel else "")
    href = html.escape(quote(str(rel).replace("\\", "/"), safe="/"))
    return f'<a href="{href}">{label}</a>'


def _split_parameters(
    entries: dict[str, dict[str, Any]],
) -> tuple[list[str], dict[str, object]]:
    """Names of parameters that differ between runs, and those all runs share."""
    params = [e.get("parameters") or {} for e in entries.values()]
    names = list(dict.fromkeys(n for p in params for n in p))
    common = {}
    varying = []
    for name in names:
        values = {json.dumps(p.get(name), sort_keys=True, default=str) for p in params}
        if len(values) == 1 and all(name in p for p in params):
            common[name] = params[0][name]
        else:
            varying.append(name)
    return varying, common


def _value(value: object) -> str:
    if value is None or value == "":
        return '<span class="small">default</span>'
    return f'<span class="any">{html.escape(str(value))}</span>'


def _parameters(values: dict[str, Any], names: list[str] | None = None) -> str:
    shown = names if names is not None else list(values)
    return ", ".join(
        f"{html.escape(str(n))}={_value(values.get(n))}" for n in shown if n in values
    )


def _when(stamp: object) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return html.escape(str(stamp or ""))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
        return f"{moment:%d %b %Y %H:%M} UTC"
    return f"{moment:%d %b %Y %H:%M}"


def _header(
    data: dict[str, Any], n: int, failed: int, common: dict[str, object]
) -> str:
    title = html.escape(str(data.get("title") or data.get("report") or "Report batch"))
    facts = (
        f"{html.escape(str(data.get('report') or ''))} &middot; {_count(n, 'report')}"
        f" &middot; {n - failed} ok &middot; {failed} failed &middot; made "
        f"{_when(data.get('updated'))}"
    )
    shared = "; ".join(
        f"<strong>{html.escape(str(k))}</strong> {_value(v)}" for k, v in common.items()
    )
    return (
        f'<header><h1>{title}: batch of {n}</h1><p class="facts">{facts}</p>'
        + (f'<p class="facts">Every report with {shared}</p>' if shared else "")
        + "</header>"
    )


def _failures(out: Path, entries: dict[str, dict[str, Any]], failed: list[str]) -> str:
    rows = []
    for key in failed:
        entry = entries[key]
        kept = entry.get("failed_notebook")
        older = entry.get("html") or entry.get("notebook")
        if older:
            older = _link(out, older, "older report") + (
                ' <span class="small">from an earlier batch, not this one</span>'
            )
        rows.append(
            "<tr>"
            f'<td class="key">{html.escape(key)}</td>'
            f"<td>{_parameters(entry.get('parameters') or {})}</td>"
            f'<td class="error">{html.escape(str(entry.get("error") or "failed"))}</td>'
            f"<td>{_link(out, kept, 'failed notebook') if kept else _DASH}</td>"
            f"<td>{older or _DASH}</td></tr>"
        )
    return (
        f'<section id="failed"><h2>Failed ({len(failed)})</h2><table class="failed">'
        "<thead><tr><th>Run</th><th>Parameters</th><th>Error</th>"
        "<th>Notebook</th><th>Older report</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _row_head(out: Path, entry: dict[str, Any], text: str, below: list[str]) -> str:
    rel = entry.get("html") or entry.get("notebook")
    notes = "".join(f'<br><span class="small">{line}</span>' for line in below if line)
    return f"<td>{_link(out, rel, text)}{notes}</td>"


def _status_grid(
    out: Path,
    entries: dict[str, dict[str, Any]],
    summaries: dict[str, dict[str, Any] | None],
    varying: list[str],
) -> str:
    def rag(summary: dict[str, Any] | None, area: str) -> object:
        return ((summary or {}).get("rag") or {}).get(area)

    def rank(key: str) -> tuple[int, str, str]:
        overall = rag(summaries[key], "overall")
        order = RAG_ORDER.index(overall) if overall in RAG_ORDER else len(RAG_ORDER)
        return order, str((summaries[key] or {}).get("project_id") or key), key

    keys = sorted(summaries, key=rank)
    lines = ""
    for area in RAG_AREAS:
        found = [rag(s, area) for s in summaries.values()]
        counts = {r: found.count(r) for r in RAG_ORDER}
        lines += f"<li><strong>{area.capitalize()}:</strong> {rag_chips(counts)}</li>"
    extra = [n for n in varying if n not in ("project_id", "status_date")]
    empty = headline("project-status", {})
    rows = []
    for key in keys:
        summary, entry = summaries[key], entries[key]
        if summary is None:
            width = 1 + len(_STATUS_COLUMNS) + len(empty)
            rows.append(_no_summary_row(out, key, entry, width))
            continue
        pid = str(summary.get("project_id") or key)
        name = f"{pid} {summary.get('project_name') or ''}".strip()
        below = [_parameters(entry.get("parameters") or {}, extra)]
        cells = [_row_head(out, entry, name, below)]
        for field in ("methodology", "phase", "state"):
            cells.append(f"<td>{html.escape(str(summary.get(field) or '-'))}</td>")
        day = html.escape(format_date(summary.get("status_date")))
        cells.append(f'<td class="date">{day}</td>')
        cells += [figure_cell(f) for f in headline("project-status", summary).values()]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<section id="reports"><h2>RAG status, {_count(len(keys), "report")}</h2>'
        f'<ul class="counts">{lines}</ul><table class="grid">'
        f"{heading_row(['Project', *_STATUS_COLUMNS], empty)}"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _no_summary_row(out: Path, key: str, entry: dict[str, Any], width: int) -> str:
    return (
        f'<tr>{_row_head(out, entry, key, [])}<td colspan="{width - 1}" '
        'class="small">no readable summary.json: the figures cannot be shown</td></tr>'
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _figures_table(
    out: Path,
    report: str,
    entries: dict[str, dict[str, Any]],
    summaries: dict[str, dict[str, Any] | None],
    varying: list[str],
) -> str:
    figures = {k: headline(report, s) for k, s in summaries.items() if s is not None}
    columns: dict[str, Figure] = {}
    for found in figures.values():
        columns.update({k: v for k, v in found.items() if k not in columns})
    rows = []
    for key in sorted(summaries):
        entry, summary = entries[key], summaries[key]
        if summary is None:
            rows.append(_no_summary_row(out, key, entry, len(columns) + 1))
            continue
        pid, name = str(summary.get("project_id") or ""), summary.get("project_name")
        subject = f"{'' if key.startswith(pid) else pid} {name or ''}".strip()
        values = entry.get("parameters") or {}
        shown = [n for n in varying if str(values.get(n)) != key]
        below = [html.escape(subject), _parameters(values, shown)]
        mine = figures[key]
        cells = [_row_head(out, entry, key, below)]
        cells += [figure_cell(mine[c]) if c in mine else "<td></td>" for c in columns]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<section id="reports"><h2>{_count(len(summaries), "report")}</h2>'
        f'<table class="figures">{heading_row(["Report"], columns)}'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )
