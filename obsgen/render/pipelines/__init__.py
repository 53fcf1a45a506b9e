"""Log pipelines rendered per region: the Fluent Bit collector (its config and its Kubernetes
objects), the Loki ruler's log alerts and Loki's retention per stream, and the Elasticsearch
index templates and ILM policies of the cluster the region hosts, and its Kibana's log dashboards."""
from obsgen.render.pipelines.elastalert import render as render_elastalert
from obsgen.render.pipelines.elasticsearch import render as render_elasticsearch
from obsgen.render.pipelines.fluentbit import render as render_fluentbit
from obsgen.render.pipelines.kibana import render as render_kibana
from obsgen.render.pipelines.kubernetes import render as render_kubernetes
from obsgen.render.pipelines.loki_retention import render as render_loki_retention
from obsgen.render.pipelines.loki_rules import render as render_loki_rules

__all__ = ["render_elastalert", "render_elasticsearch", "render_fluentbit", "render_kibana", "render_kubernetes",
           "render_loki_retention", "render_loki_rules"]
