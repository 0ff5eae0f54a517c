"""What is said about incoming and stored files: ingest refusals, media readers, the file store."""

from __future__ import annotations

from tfdb_dam.messages import Text

MESSAGES: dict[str, Text] = {
    # What a file is (media/sniff.py)
    "file.unreadable": Text("The file cannot be read.", "Không đọc được tệp."),
    "file.unreadable_because": Text("The file cannot be read: {reason}.", "Không đọc được tệp: {reason}."),
    "file.not_regular": Text(
        "The upload is not a regular file.",
        "Nội dung tải lên không phải là một tệp thông thường."),
    "file.empty": Text("The file is empty.", "Tệp không có nội dung."),
    "file.too_large": Text(
        "The file is {size}, above the limit of {limit}.",
        "Tệp có dung lượng {size}, vượt quá giới hạn {limit}."),
    "file.larger_than_limit": Text(
        "The file is larger than the limit of {limit} MB.",
        "Tệp vượt quá giới hạn dung lượng {limit} MB."),
    "file.not_accepted": Text(
        "The file's content is not a photo, video, document or audio format that is accepted.",
        "Nội dung tệp không thuộc định dạng ảnh, video, tài liệu hay âm thanh được chấp nhận."),
    "file.claims_other_type": Text(
        "The file says .{claimed} but its content is {label}.",
        "Tệp mang đuôi .{claimed} nhưng nội dung thực chất là {label}."),
    "file.forbidden.program": Text(
        "The file is a program; programs are never accepted.",
        "Tệp là một chương trình; hệ thống không bao giờ nhận chương trình."),
    "file.forbidden.script": Text(
        "The file is a script; scripts are never accepted.",
        "Tệp là một tập lệnh (script); hệ thống không bao giờ nhận tập lệnh."),
    "file.forbidden.shortcut": Text(
        "The file is a Windows shortcut; upload the file it points to instead.",
        "Tệp là một lối tắt (shortcut) của Windows; vui lòng tải lên tệp gốc mà lối tắt trỏ tới."),
    "file.forbidden.archive": Text(
        "The file is an archive; unpack it and upload the files inside instead.",
        "Tệp là một tệp nén; vui lòng giải nén và tải lên các tệp bên trong."),
    "file.forbidden.disc": Text(
        "The file is a disc image; copy the photos, videos or documents off it and upload those.",
        "Tệp là một ảnh đĩa; vui lòng sao chép ảnh, video hoặc tài liệu trong đó ra rồi tải lên."),
    "file.forbidden.font": Text(
        "The file is a font; fonts are not assets this library keeps.",
        "Tệp là một phông chữ; thư viện không lưu trữ phông chữ."),
    "file.forbidden.ole": Text(
        "The file is an old-format or password-protected Microsoft Office file; "
        "save it without a password as .docx, .xlsx or .pptx.",
        "Tệp là tài liệu Microsoft Office định dạng cũ hoặc có mật khẩu; "
        "vui lòng lưu lại không đặt mật khẩu dưới dạng .docx, .xlsx hoặc .pptx."),
    "file.forbidden.html": Text(
        "The file is an HTML page; web pages can carry scripts, so save it as PDF instead.",
        "Tệp là một trang HTML; trang web có thể chứa mã độc, vui lòng lưu lại dưới dạng PDF."),
    "file.forbidden.svg": Text(
        "The file is an SVG drawing; SVG can carry scripts, so export it as PNG or PDF instead.",
        "Tệp là một hình vẽ SVG; SVG có thể chứa mã độc, vui lòng xuất ra dạng PNG hoặc PDF."),
    "file.jpeg_cut": Text(
        "The JPEG file ends before its image data; it is truncated or corrupt.",
        "Tệp JPEG kết thúc trước phần dữ liệu ảnh; tệp bị cắt cụt hoặc hư hỏng."),
    # Images (media/imaging.py, renditions.py, similarity.py)
    "file.image_corrupt": Text(
        "The image is truncated or corrupt and cannot be decoded.",
        "Ảnh bị cắt cụt hoặc hư hỏng nên không giải mã được."),
    "file.not_an_image": Text(
        "The file is not an image that can be read.",
        "Tệp không phải là ảnh có thể đọc được."),
    "file.image_bomb": Text(
        "The image is {width}×{height} pixels, above the limit of {limit} million pixels "
        "(a possible decompression bomb).",
        "Ảnh có kích thước {width}×{height} điểm ảnh, vượt quá giới hạn {limit} triệu điểm ảnh "
        "(có thể là “bom giải nén”)."),
    "file.image_bomb_unsized": Text(
        "The image is above the limit of {limit} million pixels (a possible decompression bomb).",
        "Ảnh vượt quá giới hạn {limit} triệu điểm ảnh (có thể là “bom giải nén”)."),
    "file.image_too_large_for_memory": Text(
        "The image is too large to decode with the memory available.",
        "Ảnh quá lớn, không đủ bộ nhớ để giải mã."),
    "file.parse_timeout": Text(
        "Reading the file took longer than {seconds} seconds; it may be crafted to hang the parser.",
        "Việc đọc tệp kéo dài quá {seconds} giây; tệp có thể được tạo ra nhằm làm treo trình đọc."),
    # Metadata written into JPEG downloads (media/embed.py)
    "file.jpeg_not_writable": Text(
        "The file is not a JPEG whose metadata can be written; serve the original as it is.",
        "Tệp không phải là ảnh JPEG có thể ghi siêu dữ liệu; hãy cung cấp bản gốc như hiện có."),
    "file.jpeg_corrupt_header": Text(
        "The JPEG is corrupt before its image data and cannot carry metadata.",
        "Tệp JPEG bị hỏng ở phần trước dữ liệu ảnh nên không thể ghi siêu dữ liệu."),
    "file.jpeg_no_image_data": Text(
        "The JPEG ends before its image data and cannot carry metadata.",
        "Tệp JPEG kết thúc trước phần dữ liệu ảnh nên không thể ghi siêu dữ liệu."),
    "file.metadata_too_long": Text(
        "The metadata is too long for one JPEG segment; shorten the caption.",
        "Siêu dữ liệu quá dài so với một phân đoạn JPEG; vui lòng rút gọn chú thích."),
    "file.exif_not_writable": Text(
        "The EXIF metadata cannot be written; shorten the caption.",
        "Không ghi được siêu dữ liệu EXIF; vui lòng rút gọn chú thích."),
    # Videos (media/video.py)
    "file.video_corrupt": Text(
        "The video is truncated or corrupt and cannot be read.",
        "Video bị cắt cụt hoặc hư hỏng nên không đọc được."),
    "file.video_container": Text(
        "The file is not in a video container format that is accepted.",
        "Tệp không thuộc định dạng video được chấp nhận."),
    "file.video_no_stream": Text("The file has no video stream.", "Tệp không có luồng video."),
    "file.video_size_unknown": Text(
        "The video's picture size cannot be read; the file is truncated or corrupt.",
        "Không đọc được kích thước khung hình của video; tệp bị cắt cụt hoặc hư hỏng."),
    "file.video_too_large": Text(
        "The video is {width}×{height} pixels, above the limit of {limit} million pixels per frame.",
        "Video có kích thước {width}×{height} điểm ảnh, vượt "
        "quá giới hạn {limit} triệu điểm ảnh mỗi khung hình."),
    # Documents (media/documents.py, office.py, ooxml.py)
    "file.document_type": Text(
        "Documents of type .{ext} cannot be read.", "Không đọc được tài liệu định dạng .{ext}."),
    "file.pdf_password": Text(
        "The PDF is protected by a password; upload a copy without one.",
        "Tệp PDF được bảo vệ bằng mật khẩu; vui lòng tải lên bản không có mật khẩu."),
    "file.pdf_damaged": Text("The PDF is damaged and cannot be read.", "Tệp PDF bị hỏng nên không đọc được."),
    "file.rtf_damaged": Text(
        "The RTF document is damaged and its text cannot be read.",
        "Tài liệu RTF bị hỏng nên không đọc được nội dung văn bản."),
    "file.docx_damaged": Text(
        "The Word document is damaged and its text cannot be read.",
        "Tài liệu Word bị hỏng nên không đọc được nội dung văn bản."),
    "file.xlsx_damaged": Text(
        "The Excel workbook is damaged and cannot be read.", "Bảng tính Excel bị hỏng nên không đọc được."),
    "file.pptx_damaged": Text(
        "The PowerPoint presentation is damaged and its text cannot be read.",
        "Bài trình chiếu PowerPoint bị hỏng nên không đọc được nội dung văn bản."),
    "file.zip_damaged": Text(
        "The file is a damaged ZIP or Office file whose contents cannot be listed.",
        "Tệp ZIP hoặc tệp Office bị hỏng, không liệt kê được nội dung bên trong."),
    "file.zip_too_many_parts": Text(
        "The file holds {count} packed files, too many to be a document.",
        "Tệp chứa {count} tệp nén bên trong, quá nhiều đối với một tài liệu."),
    "file.zip_bomb": Text(
        "The file unpacks to {megabytes} MB, too much to read safely (a possible zip bomb).",
        "Tệp giải nén ra tới {megabytes} MB, quá lớn để đọc an toàn (có thể là “bom nén”)."),
    "file.office_parts_invalid": Text(
        "The Office document is damaged: its list of parts is not valid XML.",
        "Tài liệu Office bị hỏng: danh mục thành phần không phải XML hợp lệ."),
    "file.office_macros": Text(
        "The Office document contains macros, which are not "
        "accepted; save it as a plain .docx, .xlsx or .pptx.",
        "Tài liệu Office có chứa macro, loại này không được chấp nhận; "
        "vui lòng lưu lại dưới dạng .docx, .xlsx hoặc .pptx thông thường."),
    "file.office_other_format": Text(
        "The file is an Office format other than .docx, .xlsx or .pptx, which is not accepted.",
        "Tệp là định dạng Office khác .docx, .xlsx hoặc .pptx nên không được chấp nhận."),
    # Processing after upload (services/ingest_process.py, ingest_wait.py, ingest_run.py)
    "file.processing_failed": Text(
        "The file could not be processed ({detail}).", "Không xử lý được tệp ({detail})."),
    "file.refused_in_processing": Text(
        "The file was refused while being processed.", "Tệp bị từ chối trong quá trình xử lý."),
    "file.workers_stopped": Text(
        "The worker processes stopped before the import "
        "finished; run `tfdb worker` to finish the queued files.",
        "Các tiến trình xử lý đã dừng trước khi nhập xong; "
        "hãy chạy `tfdb worker` để xử lý nốt các tệp đang chờ."),
    # Renditions and the file store (services/ingest_renditions.py, storage/filestore.py)
    "storage.no_rendition_named": Text(
        "Asset {asset_id} has no rendition named {name}.",
        "Tư liệu số {asset_id} không có phiên bản tên {name}."),
    "storage.original_missing_restore": Text(
        "The original of asset {asset_id} is missing; restore it from a backup.",
        "Bản gốc của tư liệu số {asset_id} bị thiếu; vui lòng khôi phục từ bản sao lưu."),
    "storage.rendition_not_remakeable": Text(
        "The {name} rendition of asset {asset_id} cannot be made again from the original.",
        "Không thể tạo lại phiên bản {name} của tư liệu số {asset_id} từ bản gốc."),
    "storage.original_undecodable": Text(
        "The {name} rendition cannot be made because the original no longer decodes: {reason}",
        "Không tạo được phiên bản {name} vì bản gốc không còn giải mã được: {reason}"),
    "storage.invalid_path_part": Text(
        "Refusing an invalid {what} {value} for a storage path.",
        "Từ chối {what} không hợp lệ {value} trong đường dẫn lưu trữ."),
    "storage.file_missing": Text(
        "The file of asset {asset_id} ({rendition}) is missing from storage; run `tfdb verify`.",
        "Tệp của tư liệu số {asset_id} ({rendition}) không còn trong kho lưu trữ; hãy chạy `tfdb verify`."),
    "storage.original_missing_verify": Text(
        "The original of asset {asset_id} is missing from storage; run `tfdb verify`.",
        "Bản gốc của tư liệu số {asset_id} không còn trong kho lưu trữ; hãy chạy `tfdb verify`."),
}
