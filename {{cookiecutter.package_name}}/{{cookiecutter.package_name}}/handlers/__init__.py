"""The request handlers: one module per handler class. These modules are yours to edit."""
