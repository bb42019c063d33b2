"""Demo data: a client of the domain like any other, loaded by ``assay demo``."""
