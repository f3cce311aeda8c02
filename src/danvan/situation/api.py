from ninja import Router

router = Router(tags=["People's situation"])
