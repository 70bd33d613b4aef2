"""The exit plan pages (002 §4.9): the list of solutions contracts with their plan
(``lists``), and the plan page of a contract with its forms (``plans``)."""
