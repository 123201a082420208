"""Web plumbing shared by every area's views and forms."""
