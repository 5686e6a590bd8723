"""`regulars insights --store S`: a store's latest figures as plain text, the same tables the
Insights page shows and downloads (`tables.all_tables`), for a terminal or a cron mail."""

from regulars.core.models import Store
from regulars.insights.models import StoreInsights
from regulars.insights.tables import Table, all_tables


def report_text(store: Store, report: StoreInsights) -> str:
    figures = report.figures
    lines = [
        f"Insights of {store.name} ({store.slug}), computed {report.computed_at:%Y-%m-%d %H:%M %Z}"
        f" in {report.seconds:.1f} s; amounts in {figures.get('currency', store.currency)}.",
        "",
    ]
    clv, holdout, churn = figures.get("clv", {}), figures.get("holdout", {}), figures.get("churn")
    if clv.get("problem"):
        lines += [f"Customer value: {clv['problem']}", ""]
    elif clv.get("gamma_gamma_problem"):
        lines += [f"Spend model: {clv['gamma_gamma_problem']}", ""]
    elif clv.get("total") is not None:
        lines += [
            f"Predicted revenue from current customers over the next {clv['horizon_months']}"
            f" months: {clv['total']:,.2f}",
            "",
        ]
    if churn:
        lines += [
            f"Customers at risk of churning (P(alive) below {churn['threshold']:.0%}):"
            f" {churn['at_risk']:,}",
            "",
        ]
    if holdout.get("problem"):
        lines += [f"Holdout check: {holdout['problem']}", ""]
    for table in all_tables(figures).values():
        lines += [*_table_lines(table), ""]
    return "\n".join(lines).rstrip() + "\n"


def _table_lines(table: Table) -> list[str]:
    if not table.rows:
        return [f"{table.title}: none yet"]
    width = len(table.header)  # cohort rows are shorter: young cohorts have fewer months
    cells = [[str(c) for c in table.header]] + [
        ["" if v is None else str(v) for v in row] + [""] * (width - len(row)) for row in table.rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(width)]
    text = [table.title, "-" * len(table.title)]
    for n, row in enumerate(cells):
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        text.append("  ".join([first, *rest]).rstrip())
        if n == 0:
            text.append("  ".join("-" * w for w in widths))
    return text
