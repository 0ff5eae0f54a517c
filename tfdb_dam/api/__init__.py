"""The HTTP API and OAI-PMH endpoint for partner systems (FastAPI, served by `tfdb serve`)."""
