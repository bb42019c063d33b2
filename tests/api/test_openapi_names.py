"""Issue 10: the OpenAPI document kept one of two schemas that shared a name (``PlanIn``,
``PlanOut``, ``SignatureOut``), so ``PUT /registrations/{id}/plan`` showed the review body."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from django.test import Client
from pydantic import BaseModel

import assay.api

# Domain read models the API answers with (its response schemas), beside assay/api's own.
READ_MODELS = (
    "assay.catalogue.planning",
    "assay.registrations.dashboard",
    "assay.registrations.shapes",
)


def schema_classes() -> dict[str, set[type[BaseModel]]]:
    """Every schema defined in assay/api or a read model module, by name: the classes."""
    found: dict[str, set[type[BaseModel]]] = defaultdict(set)
    names = [info.name for info in pkgutil.iter_modules(assay.api.__path__, "assay.api.")]
    for module_name in [*names, *READ_MODELS]:
        module = importlib.import_module(module_name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__ == module.__name__:
                found[name].add(value)
    return found


def test_no_two_api_schemas_share_a_name() -> None:
    clashes = {name: where for name, where in schema_classes().items() if len(where) > 1}
    assert clashes == {}


def test_every_document_component_is_one_of_our_schemas(client: Client) -> None:
    """Each component named after one of our classes documents that class's fields."""
    document = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    classes = schema_classes()
    assert {"PlanIn", "ReviewPlanIn", "PlanOut", "ReviewPlanOut"} <= set(document)
    assert {"SignatureOut", "ReviewSignatureOut"} <= set(document)
    for name in set(document) & set(classes):
        (cls,) = classes[name]
        fields = {f.alias or key for key, f in cls.model_fields.items()}
        assert set(document[name].get("properties", {})) == fields, name


def test_put_plan_documents_the_plan_body(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    put = document["paths"]["/api/v1/registrations/{registration_id}/plan"]["put"]
    ref = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/PlanIn"
    plan_in = document["components"]["schemas"]["PlanIn"]
    assert "units" in plan_in["properties"] and "kind" not in plan_in["properties"]
    review = document["paths"]["/api/v1/registrations/{registration_id}/reviews"]["post"]
    review_ref = review["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert review_ref == "#/components/schemas/ReviewPlanIn"
