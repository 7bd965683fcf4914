"""The table ``make bench`` prints: one line per figure, each ratio as ``<number>x``.

A figure's line names what is divided by what; the columns are the databases; the last column
is the target from the issue and whether this run met it (judged on PostgreSQL, the production
database, where the target says so).
"""

from __future__ import annotations

import platform

PAGE_LABELS = {
    "catalogue": "catalogue page (/catalogue/)",
    "curator-workspace": "curator workspace (/curator/)",
    "staff-queue": "staff queue (/staff/applications/)",
    "approver-queue": "approver queue (/approvals/)",
    "dashboard": "dashboard (/dashboard/)",
}
BACKENDS = ("SQLite", "PostgreSQL")
EXPORT_BUDGET_MIB = 150


def ratio(numerator: float, denominator: float, digits: int = 1) -> str:
    if not denominator:
        return "n/a"
    return f"{numerator / denominator:.{digits}f}x"


class Table:
    def __init__(self):
        self.rows: list[tuple[str, dict[str, str], str]] = []

    def add(self, label: str, values: dict[str, str], target: str = "") -> None:
        self.rows.append((label, values, target))

    def section(self, title: str) -> None:
        self.rows.append((title, {}, "§"))

    def render(self, backends: list[str]) -> str:
        width = max(len(label) for label, _v, _t in self.rows) + 2
        cells = {
            b: max([len(b)] + [len(v.get(b, "")) for _l, v, _t in self.rows]) + 2 for b in backends
        }
        header = "figure".ljust(width) + "".join(b.ljust(cells[b]) for b in backends) + "target"
        lines = [header, "-" * len(header)]
        for label, values, target in self.rows:
            if target == "§":
                lines.append(f"[{label}]")
                continue
            lines.append(
                label.ljust(width)
                + "".join(values.get(b, "—").ljust(cells[b]) for b in backends)
                + target
            )
        return "\n".join(lines)


def verdict(met: bool | None, target: str) -> str:
    if met is None:
        return target
    return f"{target}  {'met' if met else 'MISSED'}"


def errors(table: Table, results: dict, group: str, label: str) -> None:
    failed = {
        b: f"error: {f[group]['error']}" for b, f in results.items() if "error" in f.get(group, {})
    }
    if failed:
        table.add(f"{label}: failed", failed)


def transition_rows(table: Table, results: dict) -> None:
    table.section("audited transition (service: permission, transition, history, log, hooks)")
    errors(table, results, "transition", "audited transition")
    for key, title in (
        ("vendor", "vendor suspend/reinstate"),
        ("certificate", "certificate suspend/reinstate"),
    ):
        values, quiet, queries, plain = {}, {}, {}, {}
        met = None
        for backend, figures in results.items():
            row = figures.get("transition", {}).get(key)
            if not row:
                continue
            values[backend] = (
                f"{ratio(row['audited_ms'], row['bare_ms'])} "
                f"({row['audited_ms']:.1f} vs {row['bare_ms']:.1f} ms)"
            )
            quiet[backend] = ratio(row["audited_without_notifications_ms"], row["bare_ms"])
            counts = row["queries"]
            queries[backend] = (
                f"{'/'.join(map(str, counts['with_notifications']))} "
                f"(no notif. {'/'.join(map(str, counts['without_notifications']))})"
            )
            plain[backend] = str(row["bare_queries"])
            if backend == "PostgreSQL":
                met = row["audited_ms"] <= 3 * row["bare_ms"]
        table.add(f"{title}: time, audited vs bare update", values, verdict(met, "≤ 3x on PG"))
        table.add(f"{title}: same, notifications unsubscribed", quiet)
        worst = {
            b: max(r["transition"][key]["queries"]["without_notifications"])
            for b, r in results.items()
            if r.get("transition", {}).get(key)
        }
        table.add(
            f"{title}: queries per call (each step)",
            queries,
            verdict(worst["PostgreSQL"] <= 6 if "PostgreSQL" in worst else None, "≤ 6 queries"),
        )
        table.add(f"{title}: queries of the bare update", plain)
        floor = {
            b: (
                f"{ratio(h['by_hand_ms'], h['bare_ms'])} ({h['by_hand_ms']:.1f} vs "
                f"{h['bare_ms']:.1f} ms, {h['queries']} queries)"
            )
            for b, r in results.items()
            if (h := r.get("transition", {}).get(key, {}).get("by_hand"))
        }
        if floor:
            table.add(f"{title}: same statements by hand (bench/floor.py) vs bare", floor)


def page_rows(table: Table, results: dict, sizes: dict) -> None:
    small, large = sizes["small"], sizes["large"]
    table.section(f"list pages at {small:,} and {large:,} rows")
    for name, label in PAGE_LABELS.items():
        queries, times, missing = {}, {}, {}
        equal = None
        for backend, figures in results.items():
            row = figures.get("pages", {}).get(name)
            if row is None:
                continue
            if "error" in row:
                queries[backend] = f"error: {row['error']}"
                continue
            if not row.get("available"):
                missing[backend] = "not available"
                continue
            a, b = row["at_small"], row["at_large"]
            if a["status"] != 200 or b["status"] != 200:
                queries[backend] = f"HTTP {a['status']}/{b['status']}"
                continue
            queries[backend] = (
                f"{ratio(b['queries'], a['queries'], 2)} ({a['queries']}→{b['queries']})"
            )
            times[backend] = f"{ratio(b['ms'], a['ms'])} ({a['ms']:.0f}→{b['ms']:.0f} ms)"
            equal = (equal is None or equal) and a["queries"] == b["queries"]
        short = label.split(" (")[0]
        if missing and not queries:
            table.add(f"{short}: not available", missing)
            continue
        table.add(
            f"{label}: queries {large:,} vs {small:,} rows",
            queries,
            verdict(equal, "equal (1.00x)"),
        )
        table.add(f"{short}: server time {large:,} vs {small:,} rows", times)


def catalogue_rows(table: Table, results: dict, sizes: dict) -> None:
    count = sizes["listings"]
    table.section(f"catalogue of {count:,} listings")
    feed, memory, per_page, exports = {}, {}, {}, {"csv": {}, "xlsx": {}}
    feed_met, export_met = None, None
    http = {"/catalogue/": {}, "/catalogue/feed.json": {}}
    for backend, figures in results.items():
        row = figures.get("feed")
        if row and "error" not in row:
            feed[backend] = (
                f"{ratio(row['feed_seconds'], row['raw_seconds'])} "
                f"({row['feed_seconds']:.2f} vs {row['raw_seconds']:.2f} s)"
            )
            memory[backend] = (
                f"{ratio(row['rss_max_after_mib'], row['rss_after_10_pages_mib'], 2)} "
                f"({row['rss_after_10_pages_mib']:.0f}→{row['rss_max_after_mib']:.0f} MiB)"
            )
            per_page[backend] = f"{row['queries_per_page']} per page of {row['limit']}"
            if backend == "PostgreSQL":
                feed_met = row["feed_seconds"] <= 3 * row["raw_seconds"]
        elif row:
            feed[backend] = row["error"]
        for fmt, out in (figures.get("export") or {}).items():
            if "error" in out:
                exports[fmt][backend] = f"error: {out['error']}"
                continue
            exports[fmt][backend] = (
                f"{ratio(out['peak_rss_mib'], EXPORT_BUDGET_MIB, 2)} "
                f"({out['peak_rss_mib']:.0f} MiB, {out['seconds']:.1f} s)"
            )
            ok = out["peak_rss_mib"] < EXPORT_BUDGET_MIB
            export_met = ok if export_met is None else export_met and ok
        if "error" in (figures.get("http") or {}):
            http["/catalogue/"][backend] = f"error: {figures['http']['error']}"
            continue
        for path, out in (figures.get("http") or {}).items():
            if path == "/healthz":
                continue
            healthz = figures["http"]["/healthz"]
            http[path][backend] = (
                f"{ratio(healthz['rps'], out['rps'])} ({healthz['rps']:.0f} vs {out['rps']:.0f}/s"
                + (f", {out['errors']} errors" if out["errors"] else "")
                + ")"
            )
    limit = sizes["limit"]
    table.add(
        f"feed paged through (limit={limit}) vs raw values_list dump",
        feed,
        verdict(feed_met, "≤ 3x on PG"),
    )
    table.add("feed: memory after the last page vs after page 10", memory, "constant (1.00x)")
    table.add("feed: queries", per_page)
    for fmt in ("csv", "xlsx"):
        table.add(
            f"{fmt.upper()} export, streamed: peak RSS vs {EXPORT_BUDGET_MIB} MB budget",
            exports[fmt],
            verdict(export_met, f"< 1.00x ({EXPORT_BUDGET_MIB} MB)"),
        )
    table.add("HTTP req/s: /healthz vs catalogue page (gunicorn, 2 workers)", http["/catalogue/"])
    table.add("HTTP req/s: /healthz vs feed page (default limit)", http["/catalogue/feed.json"])


def render(
    results: dict, photo: dict | None, sizes: dict, skipped: str | None, seconds: float
) -> str:
    backends = [b for b in BACKENDS if b in results]
    table = Table()
    if any("transition" in r for r in results.values()):
        transition_rows(table, results)
    if any("pages" in r for r in results.values()):
        page_rows(table, results, sizes)
    if any("feed" in r or "export" in r or "http" in r for r in results.values()):
        catalogue_rows(table, results, sizes)
    if photo:
        table.section("photo pipeline (no database)")
        value = (
            f"{ratio(photo['pipeline_ms'], photo['bare_ms'])} "
            f"({photo['pipeline_ms']:.0f} vs {photo['bare_ms']:.0f} ms)"
        )
        table.add(
            "vendors/images.py vs bare Pillow open+thumbnail+save, 12 MP JPEG",
            {b: value for b in backends},
            verdict(photo["pipeline_ms"] <= 1.5 * photo["bare_ms"], "≤ 1.5x"),
        )
    lines = [
        f"Kurasi bench — ratios measured in this run ({platform.node()}, "
        f"{platform.python_version()}, {seconds / 60:.1f} min)",
        "",
        table.render(backends),
    ]
    if "PostgreSQL" not in results:
        lines += ["", f"PostgreSQL: skipped ({skipped})."]
    return "\n".join(lines)
