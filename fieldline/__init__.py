"""The composition root: the app factory and lifespan (`fieldline.app`), the ASGI
entry (`fieldline.asgi`), the `fieldline` command (`fieldline.cli`), the first
administrator (`fieldline.bootstrap`) and the demo organisation
(`fieldline.demo*`). Only this package imports every other one
(docs/architecture.md)."""
