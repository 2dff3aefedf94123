import pulumi

pulumi.Config().require("instanceType")
