"""`obsgen apply`: push what `obsgen build` rendered to the live systems that take it over an
API. Each target is an Applier registered in APPLIERS by name; the CLI runs one of them.

To add a target: write a module with a class that has `name`, `default_url(estate, region)`,
`env_prefix`, `auth_scheme` (how an API key is sent) and `plan(generated_region_dir, client)`
returning Changes, and add one line below."""
from obsgen.apply.base import Applier, Change
from obsgen.apply.elasticsearch import ElasticsearchApplier
from obsgen.apply.grafana import GrafanaApplier
from obsgen.apply.kibana import KibanaApplier

APPLIERS: dict[str, Applier] = {
    ElasticsearchApplier.name: ElasticsearchApplier(),
    GrafanaApplier.name: GrafanaApplier(),
    KibanaApplier.name: KibanaApplier(),
}

__all__ = ["APPLIERS", "Applier", "Change"]
