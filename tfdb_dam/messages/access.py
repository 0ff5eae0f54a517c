"""What is said about who may do what: permissions, sign-in, the workflow, assets and downloads."""

from __future__ import annotations

from tfdb_dam.messages import Text

MESSAGES: dict[str, Text] = {
    # Roles and capabilities (services/permissions.py and the services that check them)
    "permission.upload": Text(
        "Only contributors, approvers and administrators can upload.",
        "Chỉ cộng tác viên, người duyệt và quản trị viên mới được tải lên."),
    "permission.edit_metadata": Text(
        "Only contributors, approvers and administrators can edit metadata.",
        "Chỉ cộng tác viên, người duyệt và quản trị viên mới được sửa siêu dữ liệu."),
    "permission.edit_any": Text(
        "Only approvers and administrators can edit other people's assets.",
        "Chỉ người duyệt và quản trị viên mới được sửa tư liệu của người khác."),
    "permission.download": Text(
        "Downloading is not allowed for this account.", "Tài khoản này không được phép tải xuống."),
    "permission.review_queue": Text(
        "Only approvers and administrators can see the review queue.",
        "Chỉ người duyệt và quản trị viên mới được xem hàng chờ duyệt."),
    "permission.manage_users": Text(
        "Only an administrator can manage users.", "Chỉ quản trị viên mới được quản lý người dùng."),
    "permission.manage_taxonomy": Text(
        "Only an administrator can change categories and the thesaurus.",
        "Chỉ quản trị viên mới được thay đổi danh mục và từ điển đồng nghĩa."),
    "permission.manage_settings": Text(
        "Only an administrator can change settings.", "Chỉ quản trị viên mới được thay đổi thiết lập."),
    "permission.export_audit": Text(
        "Only an administrator can read or export the whole audit log.",
        "Chỉ quản trị viên mới được xem hoặc xuất toàn bộ nhật ký kiểm tra."),
    "permission.edit_others": Text(
        "Asset {asset_id} belongs to someone else; only approvers can edit it.",
        "Tư liệu số {asset_id} thuộc về người khác; chỉ người duyệt mới được sửa."),
    "permission.edit_submitted": Text(
        "Asset {asset_id} is waiting for review; withdraw it before editing it.",
        "Tư liệu số {asset_id} đang chờ duyệt; vui lòng rút lại trước khi sửa."),
    "permission.edit_status": Text(
        "Asset {asset_id} is {status}, so only an approver can edit it now.",
        "Tư liệu số {asset_id} đang ở trạng thái “{status}”, nên lúc này chỉ người duyệt mới được sửa."),
    "permission.api_keys": Text(
        "Only an administrator can issue, list or revoke API keys.",
        "Chỉ quản trị viên mới được cấp, xem danh sách hoặc thu hồi khóa API."),
    "permission.dashboard": Text(
        "Only staff can see the dashboard.", "Chỉ cán bộ nội bộ mới được xem bảng thống kê."),
    # Signing in (services/auth.py, apikeys.py)
    "auth.wrong": Text(
        "Wrong user name or password; check both and try again.",
        "Tên người dùng hoặc mật khẩu không đúng; vui lòng kiểm tra lại cả hai và thử lại."),
    "auth.ended": Text(
        "Your sign-in has ended; sign in again.",
        "Phiên đăng nhập đã hết; vui lòng đăng nhập lại."),
    "auth.paused_one": Text(
        "Too many failed sign-ins; try again in {minutes} minute.",
        "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau {minutes} phút."),
    "auth.paused": Text(
        "Too many failed sign-ins; try again in {minutes} minutes.",
        "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau {minutes} phút."),
    "auth.disabled": Text(
        "This account is disabled; ask an administrator to enable it.",
        "Tài khoản này đã bị vô hiệu hóa; vui lòng liên hệ quản trị viên để kích hoạt lại."),
    "auth.sign_in_to_change_password": Text(
        "Sign in to change your password.", "Vui lòng đăng nhập để đổi mật khẩu."),
    "auth.current_password_wrong": Text(
        "The current password is wrong; type it again.", "Mật khẩu hiện tại không đúng; vui lòng nhập lại."),
    "auth.key_missing": Text(
        "The sign-in key {path} is missing; run `tfdb init`.",
        "Thiếu khóa đăng nhập {path}; vui lòng chạy `tfdb init`."),
    "apikey.invalid": Text(
        "The API key is not valid or was revoked; ask an administrator of TFDB DAM for a new one.",
        "Khóa API không hợp lệ hoặc đã bị thu hồi; vui lòng đề nghị quản trị viên TFDB DAM cấp khóa mới."),
    "apikey.missing": Text(
        "There is no API key {key_id}; `tfdb apikey list` shows them.",
        "Không có khóa API số {key_id}; lệnh `tfdb apikey list` liệt kê các khóa hiện có."),
    # The workflow (services/review_rules.py, review.py)
    "workflow.action_unknown": Text(
        "Unknown workflow action {action}; use one of {actions}.",
        "Thao tác quy trình {action} không hợp lệ; vui lòng dùng một trong các thao tác {actions}."),
    "workflow.sign_in_first": Text(
        "Only a signed-in user can take a workflow step; sign in to {action}.",
        "Chỉ người dùng đã đăng nhập mới thực hiện được bước này; vui lòng đăng nhập để {action}."),
    "workflow.role_cannot": Text(
        "{role} cannot {action} assets.", "{role} không được {action} tư liệu."),
    "workflow.not_yours": Text(
        "Asset {asset_id} is not yours, so you cannot {action} it.",
        "Tư liệu số {asset_id} không phải của bạn, nên bạn không thể {action}."),
    "workflow.wrong_status": Text(
        "Asset {asset_id} is {status}, so it cannot be {done}; only {allowed} assets can.",
        "Tư liệu số {asset_id} đang ở trạng thái “{status}” nên không thể {done}; "
        "chỉ tư liệu ở trạng thái {allowed} mới làm được việc này."),
    "workflow.four_eyes": Text(
        "You submitted asset {asset_id}, so someone else must {action} it (four-eyes rule).",
        "Bạn là người gửi duyệt tư liệu số {asset_id}, nên "
        "phải do người khác {action} (nguyên tắc hai người)."),
    "workflow.processing_failed": Text(
        "Processing of asset {asset_id} failed, so it cannot be {done}; "
        "import the file again or ask an administrator.",
        "Xử lý tư liệu số {asset_id} không thành công nên không thể {done}; "
        "vui lòng nhập lại tệp hoặc liên hệ quản trị viên."),
    "workflow.still_processing": Text(
        "Asset {asset_id} is still being processed; try again when it is ready.",
        "Tư liệu số {asset_id} vẫn đang được xử lý; vui lòng thử lại khi xử lý xong."),
    "workflow.fields_missing": Text(
        "Asset {asset_id} cannot be {done} without {missing}.",
        "Tư liệu số {asset_id} không thể {done} khi còn thiếu {missing}."),
    "workflow.rights_expired": Text(
        "The rights to asset {asset_id} expired on {expired}; extend them before it can be {done}.",
        "Quyền sử dụng tư liệu số {asset_id} đã hết hạn ngày {expired}; vui lòng gia hạn trước khi {done}."),
    # Assets and downloads (services/assets.py, review.py, downloads.py)
    "asset.not_visible": Text(
        "There is no asset {asset_id} that you may see.",
        "Không có tư liệu số {asset_id} mà bạn được phép xem."),
    "asset.changed_meanwhile": Text(
        "Asset {asset_id} was changed by {who} at {at}; reload it and try again.",
        "Tư liệu số {asset_id} đã được {who} thay đổi lúc {at}; vui lòng tải lại và thử lại."),
    "download.purpose_missing": Text(
        "Say what the download is for: one of {purposes}.",
        "Vui lòng cho biết mục đích tải xuống: một trong các mục đích {purposes}."),
    "download.no_preview_yet": Text(
        "Asset {asset_id} has no preview yet; try again once its processing is finished.",
        "Tư liệu số {asset_id} chưa có bản xem trước; vui lòng thử lại khi xử lý xong."),
    "download.rendition_not_displayed": Text(
        "Rendition {name} is not shown without a download; use the download link.",
        "Phiên bản {name} chỉ có thể lấy bằng cách tải xuống; vui lòng dùng liên kết tải xuống."),
    "download.original_not_allowed": Text(
        "Originals may not be downloaded with this access; download the preview instead.",
        "Quyền truy cập này không cho phép tải bản gốc; vui lòng tải bản xem trước."),
    "download.no_rendition": Text(
        "Asset {asset_id} has no rendition {name}.", "Tư liệu số {asset_id} không có phiên bản {name}."),
}
