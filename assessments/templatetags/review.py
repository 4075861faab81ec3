"""Template filters of the review: a level's or a grade's words from its code."""

from django import template

from ..choices import Grade, Level, Step

register = template.Library()


@register.filter
def level_label(value) -> str:
    try:
        return str(Level(value).label)
    except ValueError:
        return "—" if not value else str(value)


@register.filter
def grade_label(value) -> str:
    try:
        return str(Grade(value).label)
    except ValueError:
        return str(value or "—")


@register.filter
def step_label(value) -> str:
    try:
        return str(Step(value).label)
    except ValueError:
        return str(value or "—")
