"""kcn-party: records and numbers of the Party Committee of Hanoi's industrial zones."""
