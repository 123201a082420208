"""The audit log of staff actions: written from the actions' events, read on the staff pages."""
