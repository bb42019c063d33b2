"""External verification's sanctions and a centre's risk: pure rules, no Django.

``levels`` names the sanctions and what each blocks, ``rules`` says which are in force on a
day and which acts they refuse, ``risk`` rates a centre and decides direct claims status.
"""
