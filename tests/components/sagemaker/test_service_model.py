"""The snapshot of botocore's SageMaker model that validation reads matches the installed botocore."""

from mlrails_components.sagemaker import service_model


def test_snapshot_matches_botocore():
    assert service_model.snapshot() == service_model.extract(), (
        "components/sagemaker/sagemaker_service_model.json is stale: run "
        "`python -m mlrails_components.sagemaker.service_model`"
    )


def test_an_instance_type_unknown_to_the_snapshot_is_asked_of_botocore(monkeypatch):
    monkeypatch.setitem(service_model.snapshot(), "instance_types", [])
    assert service_model.is_instance_type("ml.m5.large")
    assert not service_model.is_instance_type("ml.m5.enormous")
