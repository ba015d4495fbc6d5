"""The shared core: what every app may use and that uses no app.

It sits at the bottom of the one-way app graph (docs/architecture.md): forms in GOV.UK
markup, the one optimistic lock, and the outbox every e-mail goes through.
"""
