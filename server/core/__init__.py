"""Cross-cutting server plumbing. Importing the package registers the ``{name:id}`` path
convertor (``server.core.ids``) before any router defines a route with it."""

from server.core import ids as _ids  # noqa: F401
