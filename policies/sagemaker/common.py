"""What several SageMaker rules share: the resource types they judge, and reading data capture."""

from mlrails_policies.framework.wire import get, is_true, require_known

MODEL = "aws:sagemaker/model:Model"
ENDPOINT = "aws:sagemaker/endpoint:Endpoint"


def capture_enabled(props) -> bool:
    """Capture is on when configured and not switched off (AWS enables it by default)."""
    config = require_known(get(props, "dataCaptureConfig"), "dataCaptureConfig")
    if not isinstance(config, dict):
        return False
    enabled = require_known(config.get("enableCapture", True), "dataCaptureConfig.enableCapture")
    return enabled is None or is_true(enabled) is True
