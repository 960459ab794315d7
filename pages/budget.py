"""The budget tool page."""

from pages.common import coming_soon

coming_soon("budget")
