"""Access analysis: what AWS services will be allowed to do with what a program declares.

`needs` derives the requests a service makes (SageMaker downloading model data, CloudWatch
publishing to a topic, ...); `evaluate` decides each with AWS's policy evaluation logic over
the identity, key, bucket and topic policies in the plan (`plan`); `catalogue` is AWS's list of
actions and condition keys. Stack rules report what a service will be refused.
"""
