"""Content-addressed file storage shared by every domain (evidence, audit documents, reports)."""
