"""`mlrails audit`: the policy pack's rules on what runs in a live AWS account.

Readers turn AWS API responses into the same wire-format resource records the offline engine
records from a Pulumi program (resource ids are ARNs), so the same catalogue, configuration and
waivers judge both. Every call is a read: the clients refuse any other operation.
"""
