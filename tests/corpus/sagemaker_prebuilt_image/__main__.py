import pulumi
import pulumi_aws as aws

xgboost = aws.sagemaker.get_prebuilt_ecr_image(
    repository_name="sagemaker-xgboost", image_tag="1.7-1"
)
pytorch = aws.sagemaker.get_prebuilt_ecr_image(
    repository_name="pytorch-inference", image_tag="2.3.0-cpu-py311"
)
pulumi.export("xgboost", xgboost.registry_path)
pulumi.export("pytorch", pytorch.registry_path)
