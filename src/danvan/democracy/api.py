from ninja import Router

router = Router(tags=["Grassroots democracy"])
