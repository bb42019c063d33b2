"""``assay catalogue``: validate, import, list, show and export specification files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


@click.group()
def catalogue() -> None:
    """The standards catalogue: qualifications, frameworks, crosswalks, membership grades."""


@catalogue.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check FILES against the spec format; print every error with file, path and line.

    Loads nothing. Exit status 1 when any file has errors.
    """
    from assay.catalogue.specfile import load_file

    echo_validation(files, load_file)


def echo_validation(files: tuple[Path, ...], load: Callable[[Path], Any]) -> None:
    """Print each file's errors (or "ok") and exit 1 when any file has one; shared by every
    kind of spec file (qualifications, standards)."""
    bad = 0
    for file in files:
        loaded = load(file)
        for error in loaded.errors:
            click.echo(str(error), err=True)
        bad += len(loaded.errors)
        if loaded.ok:
            click.echo(f"{file}: ok")
    if bad:
        click.echo(f"{bad} error(s); nothing was loaded", err=True)
        raise SystemExit(1)


@catalogue.command(name="import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--library", is_flag=True, help="Import the specification files shipped with Assay.")
def import_(files: tuple[Path, ...], library: bool) -> None:
    """Import FILES in one transaction: all of them or, on any error, none.

    Re-importing a version already imported changes nothing; a new version is kept beside
    the old one.
    """
    from assay.catalogue.services import CatalogueImportError, catalogue_import
    from assay.catalogue.specfile import library_files

    paths = list(files) + (library_files() if library else [])
    if not paths:
        raise click.UsageError("give FILES or --library")
    try:
        results = catalogue_import(paths=paths)
    except CatalogueImportError as exc:
        for error in exc.errors:
            click.echo(str(error), err=True)
        click.echo(f"{len(exc.errors)} error(s); nothing was imported", err=True)
        raise SystemExit(1) from exc
    for r in results:
        click.echo(f"{r.spec_id} v{r.version} ({r.kind}): {r.status}")


@catalogue.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """List the qualifications (newest version of each)."""
    from assay.catalogue.selectors import qualification_list, qualification_summary

    rows = [qualification_summary(q) for q in qualification_list()]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        click.echo(f"{row['code']:<20} v{row['version']:<6} L{row['level']}  {row['title']}")


@catalogue.command()
@click.argument("qual")
@click.option("--version", "version", default=None, help="A specific imported version.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(qual: str, version: str | None, as_json: bool) -> None:
    """Show a qualification (by code or id) with its units, outcomes and criteria."""
    from assay.catalogue.selectors import qualification_dict, qualification_get
    from assay.cli.output import fail
    from assay.errors import NotFound

    try:
        data = qualification_dict(qualification_get(qual, version=version))
    except NotFound as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{data['code']} {data['title']} (level {data['level']}, v{data['version']})")
    for unit in data["units"]:
        credit = "-" if unit["credit"] is None else unit["credit"]
        glh = "-" if unit["glh"] is None else unit["glh"]
        flag = "M" if unit["mandatory"] else " "
        click.echo(
            f"  {flag} {unit['number']:>4}  L{unit['level']}  {credit:>3} cr  {glh:>3} glh  "
            f"{unit['title']}  [{unit['group']}]"
        )


@catalogue.command()
@click.argument("qual")
@click.option("--format", "fmt", type=click.Choice(["case"]), default="case", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write to a file.")
def export(qual: str, fmt: str, output: Path | None) -> None:
    """Export a qualification as a 1EdTech CASE 1.1 CFPackage (JSON)."""
    from assay.catalogue.exports import case_package
    from assay.catalogue.selectors import qualification_get
    from assay.cli.output import fail
    from assay.errors import NotFound

    try:
        package = case_package(qualification_get(qual))
    except NotFound as exc:
        fail(str(exc))
    text = json.dumps(package, indent=2, ensure_ascii=False, sort_keys=True)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
