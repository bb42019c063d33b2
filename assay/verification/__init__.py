"""Internal quality assurance (issue 13): sampling strategies, drawn samples and the IV's
verifications, on the pure engine ``assay.engines.verification`` (docs/iqa.md)."""
