"""The only code that changes state (see ARCHITECTURE.md).

An action is a plain async function named for what a person does. It takes
the acting `Viewer`, checks access, writes inside `atomic()`, queues the
events it causes with `emit`, and returns the result.
"""
