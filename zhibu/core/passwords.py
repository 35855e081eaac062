"""Django's password validators, with Chinese messages (AUTH_PASSWORD_VALIDATORS in settings)."""

from __future__ import annotations

from django.contrib.auth import password_validation as pv


class UserAttributeSimilarityValidator(pv.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return "密码与%(verbose_name)s太相似，请换一个。"

    def get_help_text(self):
        return "密码不能与用户名、姓名或邮箱相似。"


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少{self.min_length}个字符。"


class CommonPasswordValidator(pv.CommonPasswordValidator):
    def get_error_message(self):
        return "这个密码太常见，容易被猜中，请换一个。"

    def get_help_text(self):
        return "不能使用常见密码（如 password、12345678）。"


class NumericPasswordValidator(pv.NumericPasswordValidator):
    def get_error_message(self):
        return "密码不能全是数字。"

    def get_help_text(self):
        return "密码不能全是数字。"
