def test_x(api_as):
    c = api_as("upper")
    for body, ct in (("{not json", "application/json"), ("name=x", "application/x-www-form-urlencoded"), ("[]", "application/json"), ('{"name": "x", "effective_on": "2020-01-01", "short_name": "' + "a"*100 + '"}', "application/json")):
        r = c.post("/api/v1/organizations/cb-van-phong/rename", body, content_type=ct)
        print(r.status_code, r.content.decode()[:300])
