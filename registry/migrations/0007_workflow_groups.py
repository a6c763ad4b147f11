"""Create the workflow's roles as groups: clerk, reviewer, approver (SPEC.md "Naming workflow").

Clerks draft and submit proposals and keep place records; reviewers review, run the
public notice, record objections and keep the word lists; approvers decide. All may
read the registry. Permissions are created here first, because Django only creates
them after the last migration.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_place", "view_placename", "view_division", "view_heritagelisting", "view_proposal",
        "view_proposalevent", "view_objection", "view_announcement", "view_wordlistentry", "view_allowlistentry",
        "view_categorycode"]
ROLES = {
    "clerk": READ + ["submit_proposal", "add_proposal", "change_proposal", "add_place", "change_place",
                     "add_placename", "add_heritagelisting", "change_heritagelisting"],
    "reviewer": READ + ["review_proposal", "change_proposal", "add_wordlistentry", "change_wordlistentry",
                        "add_allowlistentry", "change_allowlistentry"],
    "approver": READ + ["decide_proposal", "change_proposal"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(content_type__app_label="registry", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_naming_workflow"), ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
