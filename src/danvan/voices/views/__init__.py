"""The voices pages, one module per page group: cases (intake, worklist, the case page,
public tracking, the worklist download) and meetings (reception, dialogues, dashboard, hot
spots, rules). Thin: parse, call a query or a service, render; reads go through `queries`
(scoped), writes through `services`."""
