"""Show a definition to people: plain text for the CLI, an accessible SVG for pages.

The SVG is self-contained (no scripts, fonts or links) so it can be inlined in a page
or saved from the CLI, and it has a title and description for screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

from pathways.model import Definition, ReviewSchedule

PER_ROW = 4
BOX_W, BOX_H = 190, 70
GAP_X, GAP_Y = 60, 70
MARGIN = 20


def _rule_text(starts_from: object, starts_before: object) -> str:
    parts = []
    if starts_from:
        parts.append(f"starts from {starts_from}")
    if starts_before:
        parts.append(f"starts before {starts_before}")
    return f" ({', '.join(parts)})" if parts else ""


def _schedule_text(schedule: ReviewSchedule) -> str:
    when = ", ".join(f"{k} = {v}" for k, v in schedule.when.items())
    head = f"when {when}" if when else "all"
    head += _rule_text(schedule.rule.starts_from, schedule.rule.starts_before)
    bits = []
    for slot in schedule.slots:
        at = f"day {slot.days}" if slot.at == "days" else slot.at
        bits.append(f"{slot.title} [{slot.key}] at {at}")
    if schedule.every_months:
        bits.append(f"every {schedule.every_months} months")
    if schedule.every_weeks:
        bits.append(f"every {schedule.every_weeks} weeks")
    return f"  {head}: " + "; ".join(bits)


def render_text(definition: Definition) -> str:
    """What ``flask pathways show KEY`` prints: stages, transitions, reviews and settings."""
    d = definition
    lines = [f"{d.title} ({d.key} v{d.version}, {d.source})", d.summary, "", "Stages:"]
    for i, stage in enumerate(d.stages, 1):
        length = f" [{stage.length_weeks} weeks]" if stage.length_weeks else ""
        lines.append(f"  {i}. {stage.key}: {stage.title}{length} - {stage.description}")
    lines += ["", "Transitions:"]
    for t in d.transitions:
        guards = ", ".join(str(g) for g in t.guards) or "no conditions"
        lines.append(f"  {t.source} -> {t.to} ({t.label}): {guards}")
    lines += ["", f"Length: setting {d.duration_setting} ({d.duration_unit})"]
    for rule in d.duration_minimums:
        when = _rule_text(rule.rule.starts_from, rule.rule.starts_before)
        lines.append(f"  national minimum {rule.months} months{when}")
    if d.hours_rules:
        lines.append(f"Hours: {d.hours_label}")
        for h in d.hours_rules:
            what = [
                f"{name} {value}"
                for name, value in (
                    ("per week", h.per_week),
                    ("per month", h.per_month),
                    ("per month from setting", h.per_month_setting),
                    ("total", h.total),
                )
                if value is not None
            ]
            lines.append(f"  {', '.join(what)}{_rule_text(h.rule.starts_from, h.rule.starts_before)}")
    lines += ["", "Reviews:"]
    lines += [_schedule_text(s) for s in d.review_schedules] or ["  none"]
    lines += ["", "Settings (local defaults):"]
    for spec in d.settings.values():
        limits = []
        if spec.choices:
            limits.append("choices: " + ", ".join(spec.choices))
        if spec.minimum is not None:
            limits.append(f"min {spec.minimum:g}")
        if spec.maximum is not None:
            limits.append(f"max {spec.maximum:g}")
        extra = f" ({'; '.join(limits)})" if limits else ""
        lines.append(f"  {spec.key} = {spec.default} [{spec.type}] {spec.title}{extra}")
    if d.competency_groups:
        lines += ["", "Competency groups:"]
        for group in d.competency_groups:
            sizes = "/".join(str(len(v.items)) for v in group.variants)
            lines.append(f"  {group.key}: {group.title} ({sizes} items by variant)")
    return "\n".join(lines) + "\n"


def _box(index: int) -> tuple[float, float]:
    row, col = divmod(index, PER_ROW)
    return MARGIN + col * (BOX_W + GAP_X), MARGIN + 60 + row * (BOX_H + GAP_Y)


def _edge_point(cx: float, cy: float, dx: float, dy: float) -> tuple[float, float]:
    """Where a line from a box centre in direction (dx, dy) leaves the box."""
    scale = min(
        (BOX_W / 2) / abs(dx) if dx else float("inf"),
        (BOX_H / 2) / abs(dy) if dy else float("inf"),
    )
    return cx + dx * scale, cy + dy * scale


def render_svg(definition: Definition, counts: Mapping[str, int] | None = None) -> str:
    """An accessible SVG of the stages (with learner counts when given) and transitions."""
    d = definition
    index = {s.key: i for i, s in enumerate(d.stages)}
    rows = (len(d.stages) + PER_ROW - 1) // PER_ROW
    width = 2 * MARGIN + PER_ROW * BOX_W + (PER_ROW - 1) * GAP_X
    height = 80 + rows * (BOX_H + GAP_Y)
    desc = "Stages in order: " + ", ".join(s.title for s in d.stages) + "."
    if counts:
        desc += " Learners at each stage: " + ", ".join(f"{s.title} {counts.get(s.key, 0)}" for s in d.stages) + "."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="pw-title pw-desc" font-family="Arial, sans-serif" font-size="14">',
        f'<title id="pw-title">{escape(d.title)} (version {d.version})</title>',
        f'<desc id="pw-desc">{escape(desc)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#212b32"/></marker></defs>',
        f'<text x="{MARGIN}" y="{MARGIN + 12}" font-size="18" font-weight="bold">{escape(d.title)}</text>',
    ]
    for t in d.transitions:
        (x1, y1), (x2, y2) = _box(index[t.source]), _box(index[t.to])
        c1 = (x1 + BOX_W / 2, y1 + BOX_H / 2)
        c2 = (x2 + BOX_W / 2, y2 + BOX_H / 2)
        back = index[t.to] < index[t.source]
        offset = 12 if back else 0  # a return path sits beside the forward one
        guards = ", ".join(str(g) for g in t.guards) or "no conditions"
        dash = ' stroke-dasharray="6 4"' if back else ""
        skip = y1 == y2 and abs(x2 - x1) > BOX_W + GAP_X
        if skip:  # arc over the stages in between rather than through them
            sx, ex, top = c1[0], c2[0], y1
            lift = top - 40 - offset * 2
            shape = f'<path d="M{sx:.1f},{top} Q{(sx + ex) / 2:.1f},{lift} {ex:.1f},{top}" fill="none"'
        else:
            dx, dy = c2[0] - c1[0], c2[1] - c1[1]
            sx, sy = _edge_point(*c1, dx, dy)
            ex, ey = _edge_point(*c2, -dx, -dy)
            nx, ny = (0, offset) if abs(dx) >= abs(dy) else (offset, 0)
            shape = f'<line x1="{sx + nx:.1f}" y1="{sy + ny:.1f}" x2="{ex + nx:.1f}" y2="{ey + ny:.1f}"'
        out.append(
            f'<g class="transition"><title>{escape(t.label)}: {escape(guards)}</title>'
            f'{shape} stroke="#212b32" stroke-width="2" marker-end="url(#arrow)"{dash}/></g>'
        )
    for i, stage in enumerate(d.stages):
        x, y = _box(i)
        final = stage.key == "completed"
        fill = "#007f3b" if final else "#005eb8"
        out.append(f'<g class="stage" id="stage-{escape(stage.key)}">')
        out.append(f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}"/>')
        out.append(
            f'<text x="{x + BOX_W / 2}" y="{y + 28}" text-anchor="middle" fill="#ffffff" '
            f'font-weight="bold">{escape(stage.title)}</text>'
        )
        if counts is not None:
            n = counts.get(stage.key, 0)
            label = f"{n} learner" if n == 1 else f"{n} learners"
            out.append(f'<text x="{x + BOX_W / 2}" y="{y + 52}" text-anchor="middle" fill="#ffffff">{label}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
