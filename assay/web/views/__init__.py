"""Thin front doors: parse the request, call one selector or service, render a template."""
