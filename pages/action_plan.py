"""The action plan tool page."""

from pages.common import coming_soon

coming_soon("action_plan")
