"""The questions tool page."""

from pages.common import coming_soon

coming_soon("questions")
