import pulumi
import pulumi_aws as aws

# No imported SDK declares this function, so nothing can be invented for it.
widget = pulumi.runtime.invoke("acme:index/getWidget:getWidget", {})
aws.s3.Bucket("logs", tags={"widget": str(widget.value)})
