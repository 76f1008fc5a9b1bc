"""The real-time channel: `/ws`, the event catalogue, the broker and presence."""
