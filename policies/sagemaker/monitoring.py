"""Model Monitor resources: job definitions of every kind and the schedules that run them."""

from __future__ import annotations

# Where each job definition names its output config and its input (with the endpoint).
JOB_SECTIONS = {
    "aws:sagemaker/dataQualityJobDefinition:DataQualityJobDefinition": "dataQuality",
    "aws-native:sagemaker:DataQualityJobDefinition": "dataQuality",
    "aws-native:sagemaker:ModelQualityJobDefinition": "modelQuality",
    "aws-native:sagemaker:ModelBiasJobDefinition": "modelBias",
    "aws-native:sagemaker:ModelExplainabilityJobDefinition": "modelExplainability",
}
JOB_DEFINITIONS = tuple(JOB_SECTIONS)
SCHEDULES = (
    "aws:sagemaker/monitoringSchedule:MonitoringSchedule",
    "aws-native:sagemaker:MonitoringSchedule",
)
