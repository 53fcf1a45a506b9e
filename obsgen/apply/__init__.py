"""`obsgen apply`: push what `obsgen build` rendered to the live systems that take it over an
API. Each target is an Applier registered in APPLIERS by name; the CLI runs one of them.

To add a target (Grafana dashboards, say): write a module with a class that has `name`,
`default_url(estate, region)`, `env_prefix` and `plan(generated_region_dir, client)` returning
Changes, and add one line below."""
from obsgen.apply.base import Applier, Change
from obsgen.apply.elasticsearch import ElasticsearchApplier

APPLIERS: dict[str, Applier] = {
    ElasticsearchApplier.name: ElasticsearchApplier(),
}

__all__ = ["APPLIERS", "Applier", "Change"]
