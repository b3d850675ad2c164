from django.urls import path

from learnloop.sharing import guideline_views, public_views, views

app_name = "sharing"
urlpatterns = [
    path("feed/", views.feed, name="feed"),
    path("channels/", views.channel_list, name="channels"),
    path("channels/new", views.channel_create, name="channel_create"),
    path("channels/<int:pk>/edit", views.channel_edit, name="channel_edit"),
    path("products/<int:pk>/shares/new", views.share_create, name="share_create"),
    path("shares/<int:pk>/response", views.share_response, name="share_response"),
    # Voice guidelines: members read them, stewards keep them.
    path("guidelines/", guideline_views.guideline_list, name="guidelines"),
    path("guidelines/new", guideline_views.guideline_create, name="guideline_create"),
    path("guidelines/record/", guideline_views.publication_record, name="publication_record"),
    path("guidelines/<int:pk>/edit", guideline_views.guideline_edit, name="guideline_edit"),
    path("guidelines/<int:pk>/move", guideline_views.guideline_move, name="guideline_move"),
    path("guidelines/<int:pk>/retire", guideline_views.guideline_retire, name="guideline_retire"),
    # The public knowledge site: no login.
    path("public/", public_views.public_index, name="public"),
    path("public/feed.atom", public_views.atom_feed, name="atom"),
    path("public/stages/", public_views.public_stages, name="public_stages"),
    path("public/products/", public_views.public_product_list, name="public_products"),
    path("public/products/<int:pk>/", public_views.public_product, name="public_product"),
    path("public/ideas/", public_views.public_idea_list, name="public_ideas"),
    path("public/ideas/<int:pk>/", public_views.public_idea, name="public_idea"),
    path("public/learnings/", public_views.public_learning_list, name="public_learnings"),
    path("public/learnings/<int:pk>/", public_views.public_learning, name="public_learning"),
    path("public/questions/", public_views.public_question_list, name="public_questions"),
    path("public/questions/<int:pk>/", public_views.public_question, name="public_question"),
    path("public/narratives/", public_views.public_narrative_list, name="public_narratives"),
    path("public/narratives/<int:pk>/", public_views.public_narrative, name="public_narrative"),
    path("public/topics/", public_views.public_topic_list, name="public_topics"),
    path("public/topics/<slug:slug>/", public_views.public_topic, name="public_topic"),
    path("public/topics/<slug:slug>/feed.atom", public_views.topic_feed, name="topic_atom"),
    path("public/groups/<slug:slug>/", public_views.public_group, name="public_group"),
    path("public/groups/<slug:slug>/feed.atom", public_views.group_feed, name="group_atom"),
]
