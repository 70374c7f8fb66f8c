"""One module per screen; the app imports them lazily, when a screen is first shown."""
