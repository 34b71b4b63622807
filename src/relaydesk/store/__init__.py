"""The workstation's local store: contacts, conversations, messages seen, notes, tags,
translations, intake appearances and the sync outbox, on SQLite (see docs/store.md).

``Store`` is the synchronous API; ``AsyncStore`` runs it on a worker thread for the Qt app.
"""
