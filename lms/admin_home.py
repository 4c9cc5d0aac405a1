"""A panel of the admin home page that shows one person their own work.

Each app adds its panel through Wagtail's `construct_homepage_panels` hook and reads only
its own scoped selectors for `self.viewer`.
"""

from wagtail.admin.ui.components import Component


class ViewerPanel(Component):
    def __init__(self, viewer):
        self.viewer = viewer
