"""Catalogue persistence: every imported spec version is kept; rows are derived from it.

Rows are never edited by hand (ADR 0003): a change to the standards is a new spec version.
"""

from __future__ import annotations

from django.db import models

from assay import clock


class SpecKind(models.TextChoices):
    QUALIFICATION = "qualification", "Qualification"
    FRAMEWORK = "framework", "Framework"
    CROSSWALK = "crosswalk", "Crosswalk"
    MEMBERSHIP = "membership", "Membership scheme"


class SpecFile(models.Model):
    """One imported version of one specification file, kept verbatim as parsed JSON."""

    spec_id = models.CharField(max_length=64)
    version = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=SpecKind.choices)
    title = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON content")
    content = models.JSONField()
    source_name = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["spec_id", "version"], name="spec_version_unique")
        ]
        ordering = ["spec_id", "imported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.spec_id} v{self.version}"


class Qualification(models.Model):
    spec = models.OneToOneField(SpecFile, on_delete=models.PROTECT, related_name="qualification")
    code = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField()
    awarding_body = models.CharField(max_length=120)
    accreditation_number = models.CharField(max_length=32, blank=True)
    last_registration = models.DateField(null=True, blank=True)
    last_certification = models.DateField(null=True, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code", "spec__imported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def version(self) -> str:
        return self.spec.version


class UnitGroup(models.Model):
    """An optional group (C&G) or theme (Edexcel), or the mandatory group."""

    qualification = models.ForeignKey(
        Qualification, on_delete=models.CASCADE, related_name="groups"
    )
    slug = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    heading = models.CharField(max_length=200, blank=True)
    mandatory = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["qualification", "position"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "slug"], name="group_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="units")
    group = models.ForeignKey(UnitGroup, on_delete=models.PROTECT, related_name="units")
    number = models.CharField(max_length=16, help_text="As printed, e.g. 401, 303, 7")
    code = models.CharField(max_length=32, blank=True)
    title = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField()
    credit = models.PositiveSmallIntegerField(null=True, blank=True)
    glh = models.PositiveSmallIntegerField(null=True, blank=True)
    nos = models.CharField(max_length=16, blank=True, help_text="NOS 2010 code, e.g. F5")
    ndaq = models.CharField(max_length=16, blank=True)
    aim = models.TextField(blank=True)
    details = models.JSONField(default=dict, help_text="The rest of the unit's spec entry")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["qualification", "position"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "number"], name="unit_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def mandatory(self) -> bool:
        return self.group.mandatory


class Outcome(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="outcomes")
    number = models.CharField(max_length=8)
    title = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["unit", "position"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Criterion(models.Model):
    """An assessment criterion (or an Edexcel element), verbatim."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="criteria")
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="criteria", null=True, blank=True
    )
    number = models.CharField(max_length=8)
    text = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["unit", "position"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return f"{self.number} {self.text[:60]}"


class EvidenceRequirement(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="evidence_requirements")
    number = models.CharField(max_length=8)
    text = models.TextField()
    range = models.JSONField(null=True, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["unit", "position"]

    def __str__(self) -> str:
        return f"{self.unit.number}/{self.number}"


class NosArea(models.Model):
    spec = models.ForeignKey(SpecFile, on_delete=models.CASCADE, related_name="nos_areas")
    code = models.CharField(max_length=4)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["spec", "code"]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class NosFunction(models.Model):
    area = models.ForeignKey(NosArea, on_delete=models.CASCADE, related_name="functions")
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["area", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class CrosswalkEntry(models.Model):
    spec = models.ForeignKey(SpecFile, on_delete=models.CASCADE, related_name="crosswalk_entries")
    qualification_spec_id = models.CharField(max_length=64)
    unit_number = models.CharField(max_length=16)
    nos_2010 = models.CharField(max_length=16)
    relation = models.CharField(max_length=16)
    function_code = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["spec", "pk"]
        verbose_name_plural = "crosswalk entries"

    def __str__(self) -> str:
        return f"{self.unit_number} {self.relation} {self.function_code}"
