def test_the_home_page_is_a_french_login_page_for_anonymous_people(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="fr-CA"' in response.content.decode()
    assert "Connexion" in response.content.decode()
