"""Route modules, one per noun; each registers on `mobile_api.routing.api`."""
