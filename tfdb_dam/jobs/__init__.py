"""Background jobs: the PostgreSQL-backed queue (queue), the workers (worker), one task module per area."""
