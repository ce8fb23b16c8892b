"""The web service: server-rendered pages and a JSON API over the audit store, per caller's organisation tree.

    from schoon.web.app import create_app, WebSettings
    app = create_app(WebSettings(db_url="sqlite:///schoon.db"))

``schoon serve`` runs it with Uvicorn. Every request becomes a :class:`schoon.accounts.Principal` and a
:class:`schoon.accounts.ScopedStore` in one dependency (:mod:`schoon.web.auth`); routes only call the scoped
store and the library, never the database. See ``docs/web.md``.
"""
